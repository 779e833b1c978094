-- Lua on Unishyper: the interpreter's libraries over the kernel's system
-- calls. Each check prints "[PASS] lua.NAME" or "[FAIL] lua.NAME: why".
local failed = 0
local function check(name, fn)
  local ok, err = pcall(fn)
  if ok then
    print("[PASS] lua." .. name)
  else
    failed = failed + 1
    print("[FAIL] lua." .. name .. ": " .. tostring(err))
  end
end

check("strings", function()
  assert(string.format("%5.2f|%d|%s", math.pi, 42, "x") == " 3.14|42|x")
  assert(("hello world"):gsub("o", "0") == "hell0 w0rld")
  assert(("a,b,,c"):find(",,", 1, true) == 4)
  local words = {}
  for w in ("one two three"):gmatch("%a+") do words[#words + 1] = w end
  assert(#words == 3 and words[3] == "three")
  assert(utf8.len("Ünïcødé") == 7)
  assert(string.pack(">I4", 0x01020304) == "\1\2\3\4")
end)

check("tables_and_math", function()
  local t = {}
  for i = 1, 10000 do t[i] = (i * 7919) % 10007 end
  table.sort(t)
  for i = 2, #t do assert(t[i - 1] <= t[i]) end
  assert(table.concat({1, 2, 3}, "-") == "1-2-3")
  assert(math.floor(-3.5) == -4 and math.maxinteger + 1 == math.mininteger)
  assert(math.abs(math.sin(math.pi / 2) - 1) < 1e-12)
  assert(7 // 2 == 3 and 7 % -3 == -2 and 2^0.5 > 1.414)
end)

check("coroutines", function()
  local gen = coroutine.wrap(function()
    for i = 1, 3 do coroutine.yield(i) end
    return "done"
  end)
  assert(gen() == 1 and gen() == 2 and gen() == 3 and gen() == "done")
  local co = coroutine.create(function() error("inside") end)
  local ok, err = coroutine.resume(co)
  assert(not ok and err:find("inside") and coroutine.status(co) == "dead")
end)

check("errors", function()
  local ok, err = pcall(function() local x = nil; return x.field end)
  assert(not ok and err:find("attempt to index"))
  ok, err = pcall(error, {code = 7})
  assert(not ok and err.code == 7)
  assert(select("#", xpcall(function() error("e") end, function(m) return "handled" end)) == 2)
  ok = pcall(string.rep, "x", -1)
  assert(ok)
end)

check("files", function()
  local name = "/lua-io-test.txt"
  local f = assert(io.open(name, "w"))
  for i = 1, 1000 do f:write(i, "\n") end
  f:close()
  local sum, n = 0, 0
  for line in io.lines(name) do sum = sum + tonumber(line); n = n + 1 end
  assert(n == 1000 and sum == 500500, "read back " .. n .. " lines")
  f = assert(io.open(name, "a+"))
  f:write("tail\n")
  f:seek("set", 0)
  assert(f:read("l") == "1")
  assert(f:seek("end") > 3000)
  f:close()
  assert(os.rename(name, name .. ".2"))
  assert(io.open(name) == nil)
  assert(os.remove(name .. ".2"))
  local missing, err = io.open("/no/such/file")
  assert(missing == nil and err:find("No such file"))
end)

check("os", function()
  assert(os.time() > 1600000000)
  assert(os.date("!%Y", 0) == "1970")
  local c = os.clock()
  local x = 0
  for i = 1, 2000000 do x = x + i end
  assert(os.clock() > c, "os.clock() did not move with work")
  assert(os.getenv("NO_SUCH_VARIABLE") == nil)
  assert(os.tmpname() ~= nil)
end)

check("load_and_require", function()
  local f = assert(load("return 6 * 7"))
  assert(f() == 42)
  local chunk = string.dump(function(a) return a + 1 end)
  assert(load(chunk)(1) == 2)
  local ok = pcall(require, "no_such_module")
  assert(not ok)
end)

check("garbage_collection", function()
  local before = collectgarbage("count")
  for i = 1, 100 do local t = {} for j = 1, 1000 do t[j] = {j} end end
  collectgarbage()
  collectgarbage()
  assert(collectgarbage("count") < before + 1024)
end)

print(failed == 0 and "lua: all ok" or ("lua: " .. failed .. " failed"))
os.exit(failed == 0 and 0 or 1)
