// Preloaded (`node -r`) into a process a benchmark measures: prints its peak resident set size and
// CPU time (all threads) on exit.
process.on('exit', () => {
  const u = process.resourceUsage();
  process.stderr.write(`\nBENCH_USAGE ${u.maxRSS} ${u.userCPUTime + u.systemCPUTime}\n`);
});
