#!/usr/bin/env node
import '../out/runner/src/cli.js';
