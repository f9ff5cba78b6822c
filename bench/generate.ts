/**
 * A large, valid runbook for measurements: rounds of an NFS play, a broker play and a load-balancer
 * play that together use every module, playbook, play and host variables, and expressions with
 * paths, indexing and filters. It names `inventory.example.yaml` as its inventory, and draws no
 * diagnostic: each round's HAProxy configuration binds ports of its own.
 */

const header = `name: Generated runbook for measurements
inventory: inventory.example.yaml

vars:
  export_dir: /data/activemq-data
  shared_dir: /shared/activemq-data
  nfs_clients: [{ host: "*", options: [rw, sync, no_root_squash] }]
  activemq_user: activemq
  activemq_conf_dir: /etc/activemq/instances-available/main
  activemq_service: activemq
  transports: [openwire, amqp, stomp, mqtt, ws]
  console_port: 8161
  lock_poll: 10000
  lb_bind: "*"
  users:
    - { name: admin, password: "{{ admin_password }}", groups: [admins] }
    - { name: app, password: "{{ app_password }}", groups: [users] }
  nfs_server: "{{ hosts.nfs1.address }}"
  mount_src: "{{ nfs_server }}:{{ export_dir }}"
  first_broker: "{{ groups.brokers[0] }}"

secrets:
  admin_password: { env: AMQ_ADMIN_PASSWORD }
  app_password: { env: AMQ_APP_PASSWORD }

plays:
`;

function nfsPlay(r: number): string {
  return `  - name: NFS server, round ${r}
    hosts: nfs
    become: true
    vars:
      round_dir: "{{ export_dir }}/round-${r}"
      round_label: round-${r}
    tasks:
      - name: Install the NFS server ${r}
        package: { name: [nfs-kernel-server, nfs-common], state: present, update_cache: false }
      - name: Create the export directory ${r}
        directory: { path: "{{ round_dir }}", owner: "{{ activemq_user }}", group: "{{ activemq_user }}", mode: "0775" }
      - name: Export the data directory ${r}
        nfs_export:
          path: "{{ round_dir }}"
          clients: "{{ nfs_clients }}"
          format: exports
          file: /etc/exports
        notify: reload exports
      - name: Marker file ${r}
        file:
          path: "{{ round_dir }}/README"
          content: "export {{ round_label | upper }} for {{ groups.brokers | join(', ') }}"
          mode: "0644"
      - name: Exports comment ${r}
        line:
          path: /etc/exports
          line: "# {{ round_label }} on {{ host.name }}"
          match: "^# {{ round_label }} "
          create: true
      - name: Export notes ${r}
        template:
          src: templates/notes.tpl
          dest: "{{ round_dir }}/NOTES"
          mode: "0640"
      - name: Check the export ${r}
        command:
          cmd: "exportfs -v | grep {{ round_dir }}"
          unless: "test -f {{ round_dir }}/.skip"
    handlers:
      - name: reload exports
        command: { cmd: exportfs -ra }
`;
}

function brokerPlay(r: number): string {
  return `  - name: Brokers, round ${r}
    hosts: brokers
    become: true
    serial: 1
    vars:
      store: "{{ shared_dir }}/round-${r}"
    tasks:
      - name: Install ActiveMQ ${r}
        package: { name: activemq }
      - name: Mount the shared store ${r}
        mount:
          path: "{{ store }}"
          src: "{{ mount_src }}/round-${r}"
          fstype: nfs
          opts: rw,hard,intr,noatime
          state: mounted
      - name: Configure the broker ${r}
        activemq_broker:
          conf: "{{ activemq_conf_dir }}/activemq.xml"
          broker_name: "{{ broker_name }}"
          data_directory: "{{ store }}"
          kahadb_directory: "{{ store }}/kahadb"
          lock_poll: "{{ lock_poll }}"
          transports: "{{ transports }}"
          bind: 0.0.0.0
          max_connections: 1000
        notify: restart activemq
      - name: Web console ${r}
        activemq_console: { conf: "{{ activemq_conf_dir }}/jetty.xml", host: 0.0.0.0, port: "{{ console_port }}" }
        notify: restart activemq
      - name: Broker users ${r}
        activemq_users: { conf_dir: "{{ activemq_conf_dir }}", users: "{{ users }}" }
        notify: restart activemq
      - name: ActiveMQ is running ${r}
        service: { name: "{{ activemq_service }}", state: started, enabled: true }
      - name: Wait for OpenWire ${r}
        wait_for: { host: "{{ host.address }}", port: "{{ openwire_port }}", timeout: 60 }
    handlers:
      - name: restart activemq
        service: { name: "{{ activemq_service }}", state: restarted }
`;
}

function lbPlay(r: number): string {
  return `  - name: Load balancer, round ${r}
    hosts: lb
    become: true
    tasks:
      - name: Install HAProxy ${r}
        package: { name: haproxy }
      - name: Configure HAProxy ${r}
        haproxy:
          config: /etc/haproxy/haproxy-${r}.cfg
          reload: service haproxy reload
          frontends:
            - { name: activemq_front, bind: "{{ lb_bind }}:${20000 + r}", mode: tcp, default_backend: activemq_back }
            - { name: console_front, bind: "{{ lb_bind }}:${30000 + r}", mode: http, default_backend: console_back }
          backends:
            - name: activemq_back
              mode: tcp
              balance: first
              tcp_check: true
              servers:
                - { name: broker1, address: "{{ hosts.broker1.address }}:{{ hosts.broker1.vars.openwire_port }}", check: true, inter: 3s, fall: 3, rise: 2 }
                - { name: broker2, address: "{{ hosts[groups.brokers[1]].address | default('127.0.0.1') }}:61616", check: true, backup: true }
            - name: console_back
              mode: http
              balance: first
              servers:
                - { name: broker1, address: "{{ hosts.broker1.address }}:{{ console_port }}", check: true }
                - { name: broker2, address: "{{ hosts.broker2.address }}:{{ console_port }}", check: true, backup: true }
      - name: Exactly one broker is master ${r}
        activemq_ha_check:
          brokers: ["{{ hosts[first_broker].address }}:61616", "{{ hosts.broker2.address }}:61616"]
          timeout: 60
`;
}

/** A runbook of at least `lines` lines. */
export function generateRunbook(lines = 5000): string {
  let out = header;
  for (let r = 1; out.split('\n').length < lines; r++) out += nfsPlay(r) + brokerPlay(r) + lbPlay(r);
  return out;
}
