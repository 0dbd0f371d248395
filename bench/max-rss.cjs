// Preloaded (`node -r`) into a process a benchmark measures: prints its peak resident set size on exit.
process.on('exit', () => process.stderr.write(`\nBENCH_MAX_RSS_KB ${process.resourceUsage().maxRSS}\n`));
