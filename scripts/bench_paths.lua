-- wrk script for scripts/bench_latency.py: cycle through the request paths listed
-- (one per line, already percent-encoded) in the file named by $BENCH_PATHS, each
-- thread starting at a different line, and print one machine-readable summary line
-- with p50/p95/p99 (wrk's own --latency report has no p95).

local paths = {}
local counter = 0

function init(args)
  local name = os.getenv("BENCH_PATHS")
  for line in io.lines(name) do
    if #line > 0 then
      paths[#paths + 1] = line
    end
  end
  counter = math.random(#paths)
end

function request()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors
  local bad = errors.connect + errors.read + errors.write + errors.timeout
  io.write(string.format(
    "BENCH requests=%d seconds=%.2f rps=%.2f p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f max_ms=%.1f non2xx=%d socket_errors=%d timeouts=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    errors.status, bad, errors.timeout))
end
