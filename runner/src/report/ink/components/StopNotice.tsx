import { Text } from 'ink';

export function StopNotice({ aborted }: { aborted: boolean }) {
  return aborted ? (
    <Text color="red" bold wrap="wrap">
      aborting…
    </Text>
  ) : (
    <Text color="yellow" wrap="wrap">
      stopping after the running task… (Ctrl-C again to abort)
    </Text>
  );
}
