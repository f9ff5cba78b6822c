import { NFS_PORTS } from './layout.js';
import { portAnswers } from './net.js';

/** rpcbind listens on port 111 of every address, and ganesha's ports are fixed: one lab NFS server per machine. */
export async function assertNfsFree(address: string): Promise<void> {
  if (await portAnswers('127.0.0.1', 111)) {
    throw new Error('an rpcbind already runs on this machine (port 111 answers): another lab is up? Stop it first (npm run lab -- down)');
  }
  for (const port of Object.values(NFS_PORTS)) {
    if (await portAnswers(address, port)) throw new Error(`${address}:${port} is taken: another lab's NFS server runs? Stop it first (npm run lab -- down)`);
  }
}
