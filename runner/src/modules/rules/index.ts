import type { PlayRule } from '../lib/define.js';
import { consoleBackend } from './console-backend.js';
import { storeGuard } from './store-guard.js';

/** The rules that span modules, checked by validation after every task's own cluster rules. */
export const playRules: readonly PlayRule[] = [consoleBackend, storeGuard];
