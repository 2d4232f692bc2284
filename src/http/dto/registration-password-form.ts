import 'reflect-metadata';
import { IsString, Length } from 'class-validator';

/**
 * The password chosen at activation, typed twice. The policy (8–64 characters, blocklist, no composition rules) is
 * the service's; this cap only bounds what is read, above the policy's maximum so that a long password gets the
 * policy's own message.
 */
export class ChoosePasswordForm {
  @IsString() @Length(0, 1024) password!: string;

  @IsString() @Length(0, 1024) passwordConfirm!: string;

  @IsString() @Length(1, 200) _csrf!: string;
}
