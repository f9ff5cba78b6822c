import { createInterface } from 'node:readline';

/** Asks for a value on the terminal without echoing it. */
export function askHidden(question: string, input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): Promise<string> {
  return new Promise((resolve) => {
    output.write(question);
    const wasRaw = input.isRaw;
    input.setRawMode?.(true);
    let value = '';
    const onData = (b: Buffer) => {
      for (const ch of b.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          input.off('data', onData);
          input.setRawMode?.(wasRaw ?? false);
          input.pause();
          output.write('\n');
          resolve(value);
          return;
        }
        if (ch === '\u0003') {
          output.write('\n');
          process.exit(130);
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    input.on('data', onData);
    input.resume();
  });
}

/** Asks a question and reads one line. */
export function askLine(question: string, input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stderr): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input, output, terminal: false });
    output.write(question);
    rl.once('line', (l) => {
      rl.close();
      resolve(l.trim());
    });
    rl.once('close', () => resolve(''));
  });
}
