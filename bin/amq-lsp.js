#!/usr/bin/env node
import '../out/server/src/main.js';
