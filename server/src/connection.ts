import { createConnection, IPCMessageReader, IPCMessageWriter, ProposedFeatures, StreamMessageReader, StreamMessageWriter, type Connection, type DataCallback, type Disposable, type MessageWriter } from 'vscode-languageserver/node';
import type { Early } from './early-init.js';

type Sent = Parameters<MessageWriter['write']>[0];

/** The writer, without the one answer to `initialize` that was sent early. */
function withoutEarlyAnswer<W extends MessageWriter>(writer: W, answered: Early['answered']): W {
  if (answered === undefined) return writer;
  const write = writer.write.bind(writer);
  let dropped = false;
  writer.write = (msg: Sent) => {
    const response = !('method' in msg) && 'id' in msg;
    if (!dropped && response && msg.id === answered) {
      dropped = true;
      return Promise.resolve();
    }
    return write(msg);
  };
  return writer;
}

/** Node IPC: the messages that came before the server listened are handed over first. */
class CatchingUpReader extends IPCMessageReader {
  constructor(private readonly early: Early) {
    super(process);
  }

  override listen(callback: DataCallback): Disposable {
    const listening = super.listen(callback);
    this.early.detach?.();
    for (const m of this.early.received!.splice(0)) callback(m as Parameters<DataCallback>[0]);
    return listening;
  }
}

/** The connection on the transport of the command line, continuing what early-init.ts began. */
export function connect(early: Early | undefined): Connection {
  if (early?.input) {
    const connection = createConnection(ProposedFeatures.all, new StreamMessageReader(early.input), withoutEarlyAnswer(new StreamMessageWriter(process.stdout), early.answered));
    // As the library does on stdio: the client closing our input ends the server (0 after a shutdown).
    let shutdown = false;
    connection.onShutdown(() => {
      shutdown = true;
    });
    for (const event of ['end', 'close']) early.input.on(event, () => process.exit(shutdown ? 0 : 1));
    return connection;
  }
  if (early?.received) return createConnection(ProposedFeatures.all, new CatchingUpReader(early), withoutEarlyAnswer(new IPCMessageWriter(process), early.answered));
  return createConnection(ProposedFeatures.all);
}
