import { runOrExit, startServer } from './bootstrap';

runOrExit(() => startServer());
