import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { AdrecError } from './adrec-error';

type Constructor<T> = new () => T;

/**
 * Parses a JSON message body into a validated DTO, or throws
 * `MESSAGE.INVALID` naming every field that was wrong. Handlers receive only
 * what this returns, so nothing downstream checks the shape again.
 */
export function parseMessage<T extends object>(type: Constructor<T>, body: string | undefined): T {
  let plain: unknown;
  try {
    plain = JSON.parse(body ?? '');
  } catch (cause) {
    throw new AdrecError('MESSAGE.INVALID', `${type.name}: body is not JSON`, { cause });
  }
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) {
    throw new AdrecError('MESSAGE.INVALID', `${type.name}: body must be a JSON object`);
  }
  const instance = plainToInstance(type, plain);
  const errors = validateSync(instance, { whitelist: true, forbidUnknownValues: true });
  if (errors.length > 0) {
    throw new AdrecError('MESSAGE.INVALID', `${type.name}: ${describeValidationErrors(errors)}`, {
      details: { fields: errors.map((e) => e.property) },
    });
  }
  return instance;
}

export function describeValidationErrors(errors: ValidationError[], path = ''): string {
  return errors
    .flatMap((error) => {
      const property = path ? `${path}.${error.property}` : error.property;
      const own = Object.values(error.constraints ?? {}).map((text) =>
        text.startsWith(error.property) ? property + text.slice(error.property.length) : `${property}: ${text}`,
      );
      const nested = error.children?.length ? [describeValidationErrors(error.children, property)] : [];
      return [...own, ...nested];
    })
    .join('; ');
}
