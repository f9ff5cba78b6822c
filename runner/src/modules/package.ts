import { defineModule } from './define.js';

export interface PackageParams {
  name: string | string[];
  state: 'present' | 'absent';
  manager: 'auto' | 'apt' | 'dnf' | 'yum';
  update_cache: boolean;
}

export const pkg = defineModule<PackageParams>({
  name: 'package',
  summary: 'OS packages present or absent (apt, dnf or yum, detected)',
  docs: `Ensures that OS packages are installed (\`present\`) or removed (\`absent\`).

The package manager is detected on the host (apt on Debian and Ubuntu, dnf or yum on RHEL and
its kin) unless \`manager\` names one. Only the packages not yet in the desired state are passed
to the install or remove command, so a second run does nothing.`,
  freeForm: 'name',
  params: {
    name: { type: ['string', 'list'], items: { type: 'string', description: 'a package name' }, required: true, description: 'a package name or a list of them' },
    state: { type: 'string', choices: ['present', 'absent'], default: 'present', description: 'whether the packages are installed or removed' },
    manager: { type: 'string', choices: ['auto', 'apt', 'dnf', 'yum'], default: 'auto', description: 'the package manager; auto detects it' },
    update_cache: { type: 'bool', default: false, description: 'refresh the package index (apt-get update) before installing' },
  },
  examples: `- name: Install the NFS server
  package: { name: nfs-kernel-server }
- name: Install ActiveMQ and Java
  package:
    name: [activemq, default-jre-headless]
    update_cache: true
`,
});
