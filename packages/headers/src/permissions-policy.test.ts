import { ConfigError } from '@platform/core';
import { describe, expect, it } from 'vitest';
import {
  type PermissionsPolicyOptions,
  POWERFUL_FEATURES_OFF,
  permissionsPolicy,
} from './permissions-policy.js';

const members = (value: string) => Object.fromEntries(value.split(', ').map((m) => m.split('=')));

describe('permissionsPolicy', () => {
  it('switches powerful features off by default', () => {
    const policy = members(permissionsPolicy());
    for (const feature of ['camera', 'microphone', 'geolocation', 'payment', 'usb']) {
      expect(policy[feature]).toBe('()');
    }
    expect(Object.keys(policy)).toEqual(Object.keys(POWERFUL_FEATURES_OFF));
  });

  it('builds allowlists from the builder options', () => {
    const policy = members(
      permissionsPolicy({
        features: {
          geolocation: 'self',
          camera: ['self', 'https://meet.example'],
          fullscreen: '*',
          pictureInPicture: ["'self'", 'src'],
          payment: false,
        },
      }),
    );
    expect(policy.geolocation).toBe('(self)');
    expect(policy.camera).toBe('(self "https://meet.example")');
    expect(policy.fullscreen).toBe('*');
    expect(policy['picture-in-picture']).toBe('(self src)');
    expect(policy.payment).toBeUndefined();
  });

  it('can start from nothing', () => {
    expect(permissionsPolicy({ useDefaults: false, features: { camera: 'none' } })).toBe(
      'camera=()',
    );
  });

  it.each<[PermissionsPolicyOptions, string]>([
    [{ features: { camra: 'none' } as never }, 'unknown Permissions-Policy feature "camra"'],
    [
      { features: { camera: ['https://a.example/path'] } },
      'camera: "https://a.example/path" is not',
    ],
    [{ features: { camera: ['*', 'self'] } }, "camera: '*' must be alone"],
    [{ features: { camera: 'yes' as never } }, 'camera: allowlist must be'],
  ])('rejects %j', (options, message) => {
    expect(() => permissionsPolicy(options)).toThrow(ConfigError);
    expect(() => permissionsPolicy(options)).toThrow(message);
  });
});
