import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { findOnPath } from '../../extension/src/runtime.js';
import { seedDemoRoot } from '../../lab/demo-root.js';
import { ROOT } from '../helpers/paths.js';
import { packagedVsix } from '../helpers/vsix.js';

const CODE_SERVER = join(ROOT, '.cache/code-server-4.100.3/node_modules/.bin/code-server');
const CHROMIUM = '/usr/bin/chromium';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('the extension in a real VS Code (code-server + Chromium)', function () {
  this.timeout(180_000);
  let tmp: string;
  let server: ChildProcess | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  const ws = () => join(tmp, 'ws');
  const demoRoot = () => join(tmp, 'demo');
  const demoXml = () => join(demoRoot(), 'broker1/etc/activemq/instances-available/main/activemq.xml');
  /** The 1-based line of ha.yaml that holds `text`, and the column just after `after` on it. */
  const spot = (text: string, after = '', file = 'playbooks/ha.yaml') => {
    const lines = readFileSync(join(ws(), file), 'utf8').split('\n');
    const i = lines.findIndex((l) => l.includes(text));
    return { line: i + 1, column: after ? lines[i].indexOf(after) + after.length : 0 };
  };

  before(async () => {
    for (const [what, path, how] of [['code-server 4.100.3', CODE_SERVER, '.ci/install-editors.sh'], ['Chromium', CHROMIUM, 'apt-get install chromium (.ci/install-editors.sh)']] as const) {
      if (!existsSync(path)) throw new Error(`${what} is missing (${path}): run ${how}`);
    }
    tmp = mkdtempSync(join(tmpdir(), 'amq-code-'));
    const port = await freePort();
    const config = join(tmp, 'config.yaml');
    writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
    const userData = join(tmp, 'ud');
    mkdirSync(join(userData, 'User'), { recursive: true });
    writeFileSync(
      join(userData, 'User/settings.json'),
      JSON.stringify({
        'workbench.startupEditor': 'none',
        'security.workspace.trust.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'workbench.tips.enabled': false,
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'extensions.ignoreRecommendations': true,
        'update.mode': 'none',
        'workbench.colorTheme': 'Default Light Modern',
        'terminal.integrated.gpuAcceleration': 'off',
        // The README's settings for the local preview of playbooks/ha.yaml; no runnerPath: the .vsix's own runner.
        'amqRunbook.inventory': 'playbooks/local.inventory.yaml',
        'amqRunbook.extraVars': [`demo_root=${demoRoot()}`],
      }),
    );
    // Only the .vsix: nothing of this repository on PATH, and no amq-run anywhere on it.
    const path = (process.env.PATH ?? '').split(delimiter).filter((d) => d && !d.includes('node_modules') && !d.startsWith(ROOT)).join(delimiter);
    assert.equal(findOnPath('amq-run', path), null, 'amq-run is on PATH');
    const env = { ...process.env, PATH: path, AMQ_ADMIN_PASSWORD: 'editor-test-password' };
    const dirs = ['--config', config, '--user-data-dir', userData, '--extensions-dir', join(tmp, 'exts')];
    const install = spawnSync(CODE_SERVER, [...dirs, '--install-extension', packagedVsix()], { encoding: 'utf8', env });
    assert.equal(install.status, 0, install.stderr);
    cpSync(join(ROOT, 'playbooks'), join(ws(), 'playbooks'), { recursive: true });
    seedDemoRoot(demoRoot());
    writeFileSync(
      join(ws(), 'playbooks/typing.yaml'),
      'name: typed in the editor\ninventory: inventory.example.yaml\nplays:\n  - name: typing\n    hosts: brokers\n    tasks:\n      - name: typed\n        ',
    );
    writeFileSync(join(ws(), 'playbooks/broken.yaml'), 'name: broken\ninventory: inventory.example.yaml\nplays:\n  - name: p\n    hosts: brokers\n    tasks:\n      - name: export\n        nfs_exprt: { path: /data }\n');
    server = spawn(CODE_SERVER, [...dirs, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', ws()], { detached: true, stdio: 'ignore', env });
    await until('code-server to answer', async () => ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok ? true : undefined));
    context = await chromium.launchPersistentContext(join(tmp, 'chromium'), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1400, height: 900 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    await context.route(/^(?!https?:\/\/127\.0\.0\.1[:/])(?!data:|blob:)/, (route) => route.abort());
    page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws())}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      mkdirSync(join(ROOT, 'test-results'), { recursive: true });
      await page.screenshot({ path: join(ROOT, 'test-results', `code-server-${this.currentTest.title.replace(/\W+/g, '-')}.png`) }).catch(() => undefined);
    }
  });

  after(async () => {
    await context?.close().catch(() => undefined);
    if (server?.pid) {
      try {
        process.kill(-server.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
    }
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  async function open(name: string): Promise<void> {
    const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: new RegExp(`^${name.replace('.', '\\.')}$`) });
    if (!(await row.count())) await page.locator('.explorer-folders-view .monaco-list-row', { hasText: /^playbooks$/ }).click();
    await row.first().dblclick();
    await page.locator(`.tab.active:has-text("${name}")`).waitFor();
  }

  /** Puts the cursor on a line (Ctrl+G), then `column` characters into it. */
  async function goTo(line: number, column = 0): Promise<void> {
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+g');
    await page.keyboard.type(`${line}:${column + 1}`);
    await page.keyboard.press('Enter');
  }

  /** The text of the editor's visible lines, with the text of inlay hints and decorations (drawn by CSS). */
  const visibleText = () =>
    page.evaluate(() =>
      [...document.querySelectorAll('.monaco-editor .view-lines .view-line')]
        .map((line) =>
          [...line.querySelectorAll('span')]
            .map((s) => {
              const drawn = (where: string) => getComputedStyle(s, where).content.replace(/^"(.*)"$/, '$1').replace(/^none$/, '');
              return s.children.length ? '' : `${drawn('::before')}${s.textContent ?? ''}${drawn('::after')}`;
            })
            .join('')
            .replace(/\u00a0/g, ' '),
        )
        .join('\n'),
    );

  it("opening playbooks/ha.yaml shows the runbook language; with the README's settings, no problem", async () => {
    await open('ha.yaml');
    await page.locator('.statusbar-item:has-text("Runbook")').first().waitFor({ timeout: 30_000 });
    // The server has analysed it when its lenses are there (above the plays, further down).
    await page.locator('.codelens-decoration', { hasText: 'Dry-run play' }).first().waitFor({ state: 'attached', timeout: 30_000 });
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel', { hasText: 'No problems have been detected in the workspace' }).first().waitFor({ timeout: 30_000 });
    await page.keyboard.press('Control+Shift+M');
  });

  it('an inlay hint after a {{ }}: the value on each host', async () => {
    await goTo(spot('broker_name: "{{ broker_name }}"').line);
    await until('the hint after {{ broker_name }}', async () => ((await visibleText()).includes('broker1 · broker2') ? true : undefined));
  });

  // amqRunbook.runnerPath is left empty and no amq-run is on PATH: what runs is the .vsix's runner.
  it('Dry-run runs the bundled runner in a terminal, changes nothing, and marks the task lines; the hover shows the diff', async () => {
    const before = readFileSync(demoXml(), 'utf8');
    await page.keyboard.press('F1');
    await page.keyboard.type('amq-runbook: Dry-run playbook');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Dry-run playbook' }).first().waitFor();
    await page.keyboard.press('Enter');
    const term = page.locator('.terminal-wrapper .xterm-rows');
    await until('the terminal to show the run to its end', async () => {
      const text = await term.first().innerText();
      return /PLAY RECAP/.test(text) && /exit code 0/.test(text) ? text : undefined;
    }, 90_000);
    assert.equal(readFileSync(demoXml(), 'utf8'), before, 'the dry-run wrote nothing');
    await goTo(spot('- name: Configure the broker').line, 14);
    await until('the mark on the task line', async () => ((await visibleText()).includes('± would change: broker1, broker2') ? true : undefined));
    await page.locator('.monaco-editor .view-lines .view-line', { hasText: 'name: Configure the broker' }).locator('span', { hasText: 'Configure the broker' }).last().hover();
    const hover = page.locator('.monaco-hover', { hasText: 'Dry-run of task Configure the broker' });
    await hover.first().waitFor({ timeout: 30_000 });
    assert.match(await hover.first().innerText(), /\+\s*brokerName="broker1"/);
  });

  it('rename a variable: changed in the runbook and in its inventory; the dry-run marks clear', async () => {
    const at = spot('timeout: "{{ ha_timeout }}"', '{{ ha_t');
    // Where the inventory defines it, to bring that line into view after the rename.
    const inInventory = spot('ha_timeout:', '', 'playbooks/local.inventory.yaml');
    await goTo(at.line, at.column);
    await until('the mark of the handler above', async () => ((await visibleText()).includes('✓ ok: broker1, broker2') ? true : undefined));
    await page.keyboard.press('F2');
    const box = page.locator('.rename-box input');
    await box.waitFor({ timeout: 30_000 });
    await box.fill('master_timeout');
    await page.keyboard.press('Enter');
    await until('the runbook renamed', async () => ((await visibleText()).includes('timeout: "{{ master_timeout }}') ? true : undefined));
    await until('the marks cleared by the edit', async () => ((await visibleText()).includes('✓ ok:') ? undefined : true));
    await open('local.inventory.yaml');
    await goTo(inInventory.line);
    await until('the inventory renamed', async () => ((await visibleText()).includes('master_timeout: 5') ? true : undefined));
  });

  it('a code lens above each play, and a misspelled module typed in a task shows a squiggle and a Problems row with our message', async () => {
    await open('typing.yaml');
    await page.locator('.statusbar-item:has-text("Runbook")').first().waitFor({ timeout: 30_000 });
    await page.locator('.codelens-decoration', { hasText: 'Dry-run play' }).first().waitFor({ timeout: 30_000 });
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('nfs_exprt: { path: /data }');
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 30_000 });
    await page.keyboard.press('Control+Shift+M');
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: "unknown module 'nfs_exprt'" });
    await row.first().waitFor({ timeout: 30_000 });
    assert.match(await row.first().innerText(), /did you mean 'nfs_export'\?/);
  });

  it('Ctrl+Space inside a task lists our modules, and accepting one inserts it', async () => {
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Shift+Home');
    await page.keyboard.press('Delete');
    await page.keyboard.press('Control+Space');
    const widget = page.locator('.editor-widget.suggest-widget');
    await widget.locator('.monaco-list-row', { hasText: 'activemq_broker' }).first().waitFor({ timeout: 30_000 });
    const labels = await widget.locator('.monaco-list-row .label-name').allInnerTexts();
    for (const m of ['activemq_broker', 'activemq_console']) assert.ok(labels.some((l) => l.includes(m)), `${m} in ${labels.join(', ')}`);
    await page.keyboard.type('nfs_exp');
    await widget.locator('.monaco-list-row.focused', { hasText: 'nfs_export' }).waitFor();
    await page.keyboard.press('Enter');
    await until('nfs_export inserted', async () => ((await page.locator('.monaco-editor .view-lines').first().innerText()).includes('nfs_export') ? true : undefined));
  });

  it('hovering a module shows its docs', async () => {
    const word = page.locator('.monaco-editor .view-lines span', { hasText: /^nfs_export$/ }).last();
    const hover = page.locator('.monaco-hover', { hasText: 'exported over NFS' });
    // A loaded machine may answer after the hover gave up: move away and back until it shows.
    await until('the hover of nfs_export', async () => {
      await page.mouse.move(0, 0);
      await word.hover();
      return (await hover.first().waitFor({ timeout: 5_000 }).then(() => true, () => false)) ? true : undefined;
    }, 60_000);
  });

  async function command(title: string): Promise<void> {
    await page.keyboard.press('F1');
    await page.keyboard.type(`amq-runbook: ${title}`);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
    await page.keyboard.press('Enter');
  }

  it('"Validate playbook" puts what amq-run validate finds in the Problems view', async () => {
    await open('broken.yaml');
    await command('Validate playbook');
    const panel = page.locator('.markers-panel');
    await panel.first().waitFor({ timeout: 30_000 });
    const row = panel.locator('.monaco-list-row', { hasText: 'amq-run validate' });
    await row.first().waitFor({ timeout: 60_000 });
    const text = await row.first().innerText();
    assert.match(text, /unknown module 'nfs_exprt' \(did you mean 'nfs_export'\?\)/);
    assert.match(text, /\[Ln 8, Col 9\]/);
  });

  it('a configured runner that is not installed: a message saying what to do, and no terminal', async () => {
    mkdirSync(join(ws(), '.vscode'), { recursive: true });
    writeFileSync(join(ws(), '.vscode/settings.json'), JSON.stringify({ 'amqRunbook.runnerPath': 'amq-run' }));
    await open('ha.yaml');
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'was not found' });
    // Validate opens no terminal, so it can be repeated until the editor has read the new setting.
    await until('the message about the missing runner', async () => {
      await command('Validate playbook');
      return (await toast.first().isVisible({ timeout: 3_000 }).catch(() => false)) ? true : undefined;
    }, 60_000);
    const message = await toast.first().innerText();
    assert.match(message, /The runner "amq-run" \(setting amqRunbook\.runnerPath\) was not found\. Install it with "npm install -g amq-runbook@[\d.]+", or clear the setting/);
    assert.match(message, /Use the bundled runner/);
    const terminals = () => page.locator('.terminal-tabs-entry, .single-terminal-tab').count();
    await page.keyboard.press('Control+`');
    const before = await until('the terminal panel', async () => ((await terminals()) > 0 ? terminals() : undefined));
    await page.keyboard.press('F1');
    await page.keyboard.type('Notifications: Clear All Notifications');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Clear All Notifications' }).first().waitFor();
    await page.keyboard.press('Enter');
    await until('the message to go', async () => ((await toast.count()) === 0 ? true : undefined));
    await command('Dry-run playbook');
    await toast.first().waitFor({ timeout: 30_000 });
    assert.equal(await terminals(), before, 'no terminal was opened');
  });
});
