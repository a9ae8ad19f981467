-- Lua: table work, string formatting and a closure-heavy loop.
local n = tonumber(arg[1]) or 300000
local t, s = {}, 0
for i = 1, n do
  t[i % 1000 + 1] = (t[i % 1000 + 1] or 0) + i
  s = (s * 31 + i) % 1000003
end
local parts = {}
for i = 1, n // 100 do parts[#parts + 1] = string.format("%d", i % 97) end
print(s, #table.concat(parts), t[1])
