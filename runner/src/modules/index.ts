import { activemqBroker } from './activemq_broker.js';
import { activemqConsole } from './activemq_console.js';
import { activemqEnv } from './activemq_env.js';
import { activemqHaCheck } from './activemq_ha_check.js';
import { activemqPolicies } from './activemq_policies.js';
import { activemqUsers } from './activemq_users.js';
import { command } from './command.js';
import type { AnyModule } from './lib/define.js';
import { directory } from './directory.js';
import { file } from './file.js';
import { group } from './group.js';
import { haproxy } from './haproxy.js';
import { line } from './line.js';
import { link } from './link.js';
import { mount } from './mount.js';
import { nfsExport } from './nfs_export.js';
import { pkg } from './package.js';
import { service } from './service.js';
import { systemdUnit } from './systemd_unit.js';
import { template } from './template.js';
import { user } from './user.js';
import { waitFor } from './wait_for.js';

/** The one list of modules: the editor, `validate`, `modules` and the runner all read it. */
export const modules: readonly AnyModule[] = [
  command,
  pkg,
  directory,
  file,
  link,
  line,
  template,
  nfsExport,
  mount,
  group,
  user,
  service,
  systemdUnit,
  activemqBroker,
  activemqPolicies,
  activemqEnv,
  activemqConsole,
  activemqUsers,
  haproxy,
  waitFor,
  activemqHaCheck,
];

export type Catalog = ReadonlyMap<string, AnyModule>;

export const catalog: Catalog = new Map(modules.map((m) => [m.name, m]));
