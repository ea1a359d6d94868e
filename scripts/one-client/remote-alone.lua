-- wrk script for scripts/q3-one-client.sh: POSTs to the profiles remote the document Joinery sends
-- it for Q3 (50 per-key aliased fields and one fragment; the keys of 50 authors from a random
-- offset, as compare.sh's graphql-post.lua draws them), after a pause of $GAP_MS ms, so that the
-- remote idles between requests about as long as it does behind the sidecar.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local gap = tonumber(os.getenv("GAP_MS") or "1")
function delay() return gap end
function init(args) math.randomseed(7919) end
function request()
  local offset = math.random(0, 1950)
  local fields = {}
  for i = 0, 49 do
    fields[#fields + 1] = "f" .. i .. ":profile(authorId:" .. (offset + i + 1) .. "){...JoineryKey}"
  end
  local query = "query JoineryJoin{" .. table.concat(fields) .. "} fragment JoineryKey on Profile {authorId bio followers}"
  return wrk.format(nil, nil, nil, '{"query":"' .. query .. '"}')
end
function done(summary, latency, requests)
  io.write(string.format("p50_ms=%.3f requests=%d errors=%d\n", latency:percentile(50) / 1000, summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout))
end
