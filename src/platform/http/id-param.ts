import { Injectable, type PipeTransform } from '@nestjs/common';

import { ID_PATTERN } from './dto-rules.js';
import { validationFailed } from './validation.js';

/** A path id in the format ids are given in; anything else is a 400 naming the parameter. */
@Injectable()
export class IdParamPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!ID_PATTERN.test(value)) throw validationFailed([{ field: 'id', problems: ['must be 1 to 64 letters, digits, . _ - (starting with a letter or digit)'] }]);
    return value;
  }
}
