// A pre-forked launcher, as the spawn-cost benchmark measures it: a small Node process
// that spawns what its parent asks for over the IPC channel and answers with the exit
// code. Its heap is a few MiB, so the fork behind each spawn copies few page tables.
const { spawn } = require('node:child_process');

process.on('message', ({ id, file, args }) => {
  const child = spawn(file, args, { stdio: 'ignore', detached: true });
  child.once('error', (error) => process.send({ id, error: error.message }));
  child.once('exit', (code, signal) => process.send({ id, code, signal }));
});
process.on('disconnect', () => process.exit(0));
