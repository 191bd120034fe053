export { serveConsole, consoleDirectory } from './serve-console';
