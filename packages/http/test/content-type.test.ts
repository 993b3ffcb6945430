import { describe, expect, it } from '@jest/globals';
import { DEFAULT_CONTENT_TYPES, isAcceptedMediaType, mediaType } from '@tender/http';

describe('mediaType', () => {
  it('keeps only the lower-cased type', () => {
    expect(mediaType('Application/JSON; charset=UTF-8')).toBe('application/json');
    expect(mediaType(['text/plain', 'x/y'])).toBe('text/plain');
    expect(mediaType('  ')).toBeUndefined();
    expect(mediaType(undefined)).toBeUndefined();
  });
});

describe('isAcceptedMediaType with the defaults', () => {
  it.each(['application/json', 'application/cloudevents+json', 'application/x-www-form-urlencoded', 'text/plain', 'text/xml'])(
    'accepts %s',
    (type) => {
      expect(isAcceptedMediaType(type, DEFAULT_CONTENT_TYPES)).toBe(true);
    },
  );

  it.each(['multipart/form-data', 'application/octet-stream', 'application/jsonx', 'application/xml', 'json', 'text', '*/*'])(
    'refuses %s',
    (type) => {
      expect(isAcceptedMediaType(type, DEFAULT_CONTENT_TYPES)).toBe(false);
    },
  );

  it('accepts anything with a */* pattern', () => {
    expect(isAcceptedMediaType('application/octet-stream', ['*/*'])).toBe(true);
  });
});
