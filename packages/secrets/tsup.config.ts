import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.js';

export default defineConfig(
  packageBuild(
    {
      index: 'src/index.ts',
      cli: 'src/cli.ts',
    },
    ['@aws-sdk/client-secrets-manager', '@azure/keyvault-secrets', '@google-cloud/secret-manager'],
  ),
);
