import { ValidateIf } from 'class-validator';

/**
 * A JSON field the caller may leave out. Unlike class-validator's IsOptional, an explicit `null` is not taken as
 * "left out": it is a value, gets the field's checks and is refused, so `{"reason": null}` never falls back to a
 * default and `{"changes": {"fullName": null}}` never blanks a name.
 */
export const IsOmittable = (): PropertyDecorator => ValidateIf((_object: object, value: unknown) => value !== undefined);
