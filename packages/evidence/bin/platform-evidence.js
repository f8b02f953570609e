#!/usr/bin/env node
// The published `platform-evidence` command. A committed launcher rather than dist/cli.js itself, so
// that `pnpm install` in the workspace can link the bin before the first build.
import '../dist/cli.js';
