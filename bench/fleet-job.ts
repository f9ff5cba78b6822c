/**
 * The fleet bench's file job, written once for amq-run and once for Ansible: directories, files,
 * lines, a template, two guarded commands and a handler: 13 tasks a host, the generic work of
 * configuration management, none of it slow on the host itself.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

/** Where the job works on each host; removing it starts the job from scratch. */
export const JOB_DIR = '/srv/fleet-job';
export const JOB_TASKS = 13;

const D = JOB_DIR;

/** The runbook and its template for amq-run, in `dir`; returns the runbook's path. */
export function writeAmqJob(dir: string, group: string, inventory: string): string {
  mkdirSync(join(dir, 'templates'), { recursive: true });
  writeFileSync(join(dir, 'templates', 'app.env.tpl'), 'APP_HOST={{ host.name }}\nAPP_ADDRESS={{ host.address }}\nAPP_HOME={{ app_home }}\n');
  const tasks = [
    { name: 'App folder', directory: { path: D, mode: '0755' } },
    { name: 'Config folder', directory: { path: `${D}/conf`, mode: '0755' } },
    { name: 'Data folder', directory: { path: `${D}/data`, mode: '0750' } },
    { name: 'Log folder', directory: { path: `${D}/logs`, mode: '0755' } },
    { name: 'App properties', file: { path: `${D}/conf/app.properties`, content: 'name={{ host.name }}\nport=8080\n', mode: '0644' }, notify: 'reload app' },
    { name: 'Version file', file: { path: `${D}/VERSION`, content: '1.4.2\n', mode: '0644' } },
    { name: 'Readme', file: { path: `${D}/README`, content: 'Managed by the fleet bench.\n', mode: '0644' } },
    { name: 'Environment', template: { src: 'templates/app.env.tpl', dest: `${D}/conf/app.env`, mode: '0644' }, notify: 'reload app' },
    { name: 'Connection limit', line: { path: `${D}/conf/limits.conf`, line: 'max_connections=1000', match: '^max_connections=', create: true } },
    { name: 'Timeout', line: { path: `${D}/conf/limits.conf`, line: 'timeout=30', match: '^timeout=' } },
    { name: 'Log level', line: { path: `${D}/conf/logging.conf`, line: 'log_level=info', match: '^log_level=', create: true } },
    { name: 'Initialize the data', command: { cmd: `date > ${D}/data/initialized`, creates: `${D}/data/initialized` } },
    { name: 'Index the config', command: { cmd: `ls ${D}/conf > ${D}/data/index`, creates: `${D}/data/index` } },
  ];
  const runbook = {
    name: 'Fleet bench file job',
    inventory,
    vars: { app_home: D },
    plays: [{ name: 'File job', hosts: group, tasks, handlers: [{ name: 'reload app', command: { cmd: `date > ${D}/logs/reloaded` } }] }],
  };
  const file = join(dir, 'job.yaml');
  writeFileSync(file, stringify(runbook, { lineWidth: 0 }));
  return file;
}

/** The same job as an Ansible playbook with its template and tuned ansible.cfg, in `dir`. */
export function writeAnsibleJob(dir: string, forks: number): { playbook: string; config: string } {
  mkdirSync(join(dir, 'templates'), { recursive: true });
  writeFileSync(join(dir, 'templates', 'app.env.j2'), 'APP_HOST={{ inventory_hostname }}\nAPP_ADDRESS={{ ansible_host }}\nAPP_HOME={{ app_home }}\n');
  const tasks = [
    { name: 'App folder', file: { path: D, state: 'directory', mode: '0755' } },
    { name: 'Config folder', file: { path: `${D}/conf`, state: 'directory', mode: '0755' } },
    { name: 'Data folder', file: { path: `${D}/data`, state: 'directory', mode: '0750' } },
    { name: 'Log folder', file: { path: `${D}/logs`, state: 'directory', mode: '0755' } },
    { name: 'App properties', copy: { dest: `${D}/conf/app.properties`, content: 'name={{ inventory_hostname }}\nport=8080\n', mode: '0644' }, notify: 'reload app' },
    { name: 'Version file', copy: { dest: `${D}/VERSION`, content: '1.4.2\n', mode: '0644' } },
    { name: 'Readme', copy: { dest: `${D}/README`, content: 'Managed by the fleet bench.\n', mode: '0644' } },
    { name: 'Environment', template: { src: 'templates/app.env.j2', dest: `${D}/conf/app.env`, mode: '0644' }, notify: 'reload app' },
    { name: 'Connection limit', lineinfile: { path: `${D}/conf/limits.conf`, line: 'max_connections=1000', regexp: '^max_connections=', create: true } },
    { name: 'Timeout', lineinfile: { path: `${D}/conf/limits.conf`, line: 'timeout=30', regexp: '^timeout=' } },
    { name: 'Log level', lineinfile: { path: `${D}/conf/logging.conf`, line: 'log_level=info', regexp: '^log_level=', create: true } },
    { name: 'Initialize the data', shell: { cmd: `date > ${D}/data/initialized`, creates: `${D}/data/initialized` } },
    { name: 'Index the config', shell: { cmd: `ls ${D}/conf > ${D}/data/index`, creates: `${D}/data/index` } },
  ];
  const play = [{ name: 'File job', hosts: 'fleet', gather_facts: false, vars: { app_home: D }, tasks, handlers: [{ name: 'reload app', shell: `date > ${D}/logs/reloaded` }] }];
  const playbook = join(dir, 'job.yml');
  writeFileSync(playbook, stringify(play, { lineWidth: 0 }));
  const config = join(dir, 'ansible.cfg');
  writeFileSync(
    config,
    `# Tuned Ansible for the fleet bench: a fork per host, persistent SSH masters, pipelining, no facts.
[defaults]
forks = ${forks}
gathering = explicit
host_key_checking = True
interpreter_python = /usr/bin/python3
callbacks_enabled =
retry_files_enabled = False
nocolor = True

[ssh_connection]
pipelining = True
ssh_args = -o ControlMaster=auto -o ControlPersist=120s
`,
  );
  return { playbook, config };
}
