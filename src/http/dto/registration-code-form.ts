import 'reflect-metadata';
import { IsString, Length } from 'class-validator';

/** The activation code (Decision 34 Art 7.1). Spaces and dashes are tolerated; the page then wants six digits. */
export class ActivationCodeForm {
  @IsString() @Length(0, 20) code!: string;

  @IsString() @Length(1, 200) _csrf!: string;
}

