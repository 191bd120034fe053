import { runOrExit, startServer } from './bootstrap';
import { startServerProcesses } from './common/process/cluster';

runOrExit(() => startServerProcesses(() => startServer()));
