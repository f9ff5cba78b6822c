// The modules of the catalog, one line each: a new module is its own file and one line here.
export { command } from './command.js';
export { pkg } from './package.js';
export { directory } from './directory.js';
export { file } from './file.js';
export { line } from './line.js';
export { template } from './template.js';
export { nfsExport } from './nfs_export.js';
export { mount } from './mount.js';
export { service } from './service.js';
export { activemqBroker } from './activemq_broker.js';
export { activemqConsole } from './activemq_console.js';
export { activemqUsers } from './activemq_users.js';
export { activemqDestinations } from './activemq_destinations.js';
export { haproxy } from './haproxy.js';
export { waitFor } from './wait_for.js';
export { activemqHaCheck } from './activemq_ha_check.js';
