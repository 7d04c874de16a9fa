/** A notice for the function's log (Lambda sends stderr to CloudWatch Logs), one line each. */
export function logNotice(message: string): void {
  process.stderr.write(`trailaudit: ${message.replaceAll('\n', ' ')}\n`);
}
