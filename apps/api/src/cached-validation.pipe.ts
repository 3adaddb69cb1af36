import { ArgumentMetadata, Injectable, PipeTransform, ValidationPipe } from '@nestjs/common';

/** Distinct valid inputs remembered; an ad server asks for the same few thousand paths all day. */
const MAX_REMEMBERED = 50_000;

/**
 * Validates every input with its DTO through Nest's ValidationPipe, and
 * remembers the outcome for inputs that passed: validation is a pure function
 * of the input, and the hot route sees the same (advertiser, model) pairs
 * over and over, so a warm request skips class-transformer and
 * class-validator altogether. Invalid inputs are never remembered.
 */
@Injectable()
export class CachedValidationPipe implements PipeTransform {
  private readonly valid = new Map<string, unknown>();

  constructor(private readonly inner: ValidationPipe) {}

  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (!metadata.metatype || typeof value !== 'object' || value === null) return this.inner.transform(value, metadata);
    const key = `${metadata.type}\u0000${metadata.metatype.name}\u0000${JSON.stringify(value)}`;
    const remembered = this.valid.get(key);
    if (remembered !== undefined) return remembered;
    const result = await this.inner.transform(value, metadata);
    if (this.valid.size >= MAX_REMEMBERED) this.valid.clear();
    this.valid.set(key, result);
    return result;
  }
}
