-- Deep recursion through the C stack: pcall nested as deep as the
-- interpreter allows (its C-call limit is 200), then Lua-only recursion.
local function nest(n)
  if n == 0 then return 0 end
  local ok, v = pcall(nest, n - 1)
  assert(ok, v)
  return v + 1
end
assert(nest(190) == 190)
local ok, err = pcall(nest, 250)
assert(not ok and tostring(err):find("stack overflow"), "the limit was not reported: " .. tostring(err))
local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end
assert(depth(100000) == 100000)
print("lua: deep recursion ok")
