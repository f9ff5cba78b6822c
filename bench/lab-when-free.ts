import { labUp, portAnswers, type Lab, type LabUpOptions } from '../lab/lab.js';

/** The lab needs the machine's only rpcbind: wait while another lab (a test run) holds it. */
export async function labUpWhenFree(opts: LabUpOptions = {}, timeoutMs = 15 * 60_000): Promise<Lab> {
  const end = Date.now() + timeoutMs;
  let said = false;
  for (;;) {
    try {
      return await labUp(opts);
    } catch (e) {
      const busy = /another lab|rpcbind already runs|is taken/.test((e as Error).message);
      if (!busy || Date.now() > end) throw e;
      if (!said) console.log(`  (another lab is up on this machine; waiting for it to go down: ${(e as Error).message})`);
      said = true;
      while ((await portAnswers('127.0.0.1', 111)) && Date.now() < end) await new Promise((r) => setTimeout(r, 2000));
    }
  }
}
