import { startLatencyProxy } from '/work/main/bench/latencyProxy.ts';
const proxy = await startLatencyProxy(process.argv[2]!, Number(process.argv[3]));
console.log(proxy.endpoint);
