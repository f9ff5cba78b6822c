import { useInput, useStdin } from 'ink';

/** Ctrl-C: the first asks the run to stop after the running task, the second aborts. */
export function useStopKey(stop: () => void): void {
  const { isRawModeSupported } = useStdin();
  useInput(
    (input, key) => {
      if (key.ctrl && input === 'c') stop();
    },
    { isActive: isRawModeSupported },
  );
}
