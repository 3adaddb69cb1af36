-- wrk script of `npm run bench:api` (bench/api.bench.ts).
--
--   wrk -t1 -c100 -d10s -s bench/wrk-report.lua http://127.0.0.1:PORT -- PATHS_FILE
--
-- PATHS_FILE holds one request path per line; requests cycle through them in
-- file order (the bench shuffles the file), each request pre-formatted once in
-- init() so the per-request Lua work stays a table lookup. done() prints one
-- line, `WRK_RESULT {json}`, that the bench parses: counts, errors and latency
-- percentiles in microseconds. `statusErrors` is wrk's count of answers with
-- a status of 400 or more; the routes loaded here answer no 1xx or 3xx.

local requests = {}
local count = 0
local next_index = 0

function init(args)
  local file = assert(io.open(args[1], "r"), "cannot open the paths file " .. tostring(args[1]))
  for line in file:lines() do
    if line ~= "" then
      count = count + 1
      requests[count] = wrk.format("GET", line)
    end
  end
  file:close()
  assert(count > 0, "no paths in " .. args[1])
end

function request()
  next_index = next_index % count + 1
  return requests[next_index]
end

function done(summary, latency, _)
  local errors = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"durationUs":%d,"bytes":%d,"connectErrors":%d,"readErrors":%d,"writeErrors":%d,' ..
      '"statusErrors":%d,"timeouts":%d,"p50Us":%d,"p90Us":%d,"p99Us":%d,"p999Us":%d,"maxUs":%d,"meanUs":%.1f}\n',
    summary.requests, summary.duration, summary.bytes, errors.connect, errors.read, errors.write,
    errors.status, errors.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max, latency.mean))
end
