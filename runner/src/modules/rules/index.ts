import type { PlayRule } from '../lib/define.js';
import { brokerSecurity } from './broker-security.js';
import { haproxyBackends } from './haproxy-backends.js';
import { mountSource } from './mount-source.js';
import { networkConnectors } from './network-connectors.js';
import { portMap } from './port-map.js';
import { storeGuard } from './store-guard.js';

/** The rules that span modules, checked by validation after every task's own cluster rules. */
export const playRules: readonly PlayRule[] = [portMap, haproxyBackends, networkConnectors, mountSource, storeGuard, brokerSecurity];
