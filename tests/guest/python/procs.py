# Python threading, subprocess and multiprocessing, run natively and under Ferry by DebianProgramTests
# (argv[1] picks the part: threads, subprocess, fork, mp-fork, mp-default, mp-spawn, mp-forkserver).
# Output is deterministic: only sorted or summed results of concurrent work are printed.
import threading, queue, subprocess, multiprocessing as mp, os, sys, signal

def square(x):
    return x * x

def worker(q, n):
    q.put((n, sum(range(n))))

def bump(v, lock, n):
    for _ in range(n):
        with lock:
            v.value += 1

def threads():
    lock = threading.Lock()
    cond = threading.Condition()
    total = [0]
    q = queue.Queue()
    def add(k):
        for i in range(2000):
            with lock:
                total[0] += k
    ts = [threading.Thread(target=add, args=(k,)) for k in range(1, 17)]
    for t in ts: t.start()
    for t in ts: t.join()
    print("lock total", total[0])
    items = []
    def consumer():
        while True:
            x = q.get()
            if x is None:
                q.task_done()
                return
            with cond:
                items.append(x * 2)
                cond.notify_all()
            q.task_done()
    cs = [threading.Thread(target=consumer) for _ in range(8)]
    for c in cs: c.start()
    for i in range(500): q.put(i)
    with cond:
        cond.wait_for(lambda: len(items) == 500)
    for _ in cs: q.put(None)
    q.join()
    for c in cs: c.join()
    print("queue", len(items), sum(items))
    ev = threading.Event()
    got = []
    def waiter():
        ev.wait()
        got.append(threading.current_thread().name)
    ws = [threading.Thread(target=waiter, name="w%d" % i) for i in range(5)]
    for w in ws: w.start()
    ev.set()
    for w in ws: w.join()
    print("event", sorted(got))
    sem = threading.BoundedSemaphore(3)
    inside = [0, 0]
    def limited():
        with sem:
            with lock:
                inside[0] += 1
                inside[1] = max(inside[1], inside[0])
            with lock:
                inside[0] -= 1
    ls = [threading.Thread(target=limited) for _ in range(20)]
    for t in ls: t.start()
    for t in ls: t.join()
    print("semaphore max <= 3", inside[1] <= 3)
    local = threading.local()
    out = []
    def tls(i):
        local.v = i
        out.append(local.v == i)
    tt = [threading.Thread(target=tls, args=(i,)) for i in range(10)]
    for t in tt: t.start()
    for t in tt: t.join()
    print("local", all(out), len(out))

def subprocesses():
    r = subprocess.run(["/bin/echo", "hello", "world"], capture_output=True, text=True)
    print("run", repr(r.stdout), r.returncode)
    r = subprocess.run(["sh", "-c", "echo err >&2; exit 3"], capture_output=True, text=True)
    print("run err", repr(r.stderr), r.returncode)
    print("check_output", subprocess.check_output(["printf", "%s-%s", "a", "b"]))
    try:
        subprocess.check_call(["false"])
    except subprocess.CalledProcessError as e:
        print("check_call raised", e.returncode)
    p = subprocess.Popen(["tr", "a-z", "A-Z"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    out, _ = p.communicate(b"popen pipes\n" * 1000)
    print("popen", len(out), out[:12], p.returncode)
    p1 = subprocess.Popen(["seq", "1", "5000"], stdout=subprocess.PIPE)
    p2 = subprocess.Popen(["grep", "7"], stdin=p1.stdout, stdout=subprocess.PIPE)
    p3 = subprocess.Popen(["wc", "-l"], stdin=p2.stdout, stdout=subprocess.PIPE)
    p1.stdout.close(); p2.stdout.close()
    print("pipeline", p3.communicate()[0].strip(), p1.wait(), p2.wait(), p3.returncode)
    p = subprocess.Popen(["sleep", "10"])
    p.terminate()
    print("terminated", p.wait())
    print("shell", subprocess.run("echo $((6 * 7)) | cat", shell=True, capture_output=True, text=True).stdout.strip())
    try:
        subprocess.run(["sleep", "5"], timeout=0.2)
    except subprocess.TimeoutExpired:
        print("timeout expired")

def multiproc(method):
    ctx = mp.get_context(method)
    with ctx.Pool(4) as pool:
        print(method, "pool.map", sum(pool.map(square, range(200))))
        print(method, "apply_async", pool.apply_async(square, (12,)).get(timeout=60))
    q = ctx.Queue()
    ps = [ctx.Process(target=worker, args=(q, n)) for n in (10, 100, 1000)]
    for p in ps: p.start()
    res = sorted(q.get(timeout=60) for _ in ps)
    for p in ps: p.join()
    print(method, "queue", res, [p.exitcode for p in ps])
    v = ctx.Value("i", 0)
    lock = ctx.Lock()
    ps = [ctx.Process(target=bump, args=(v, lock, 200)) for _ in range(3)]
    for p in ps: p.start()
    for p in ps: p.join()
    print(method, "value", v.value)
    p = ctx.Process(target=os._exit, args=(5,))
    p.start(); p.join()
    print(method, "exitcode", p.exitcode)
    a, b = ctx.Pipe()
    p = ctx.Process(target=square, args=(3,))
    p.start(); p.join()
    a.send([1, "two", 3.0]); print(method, "pipe", b.recv())

def fork_with_threads():
    stop = threading.Event()
    def spin():
        while not stop.is_set():
            pass
    ts = [threading.Thread(target=spin) for _ in range(3)]
    for t in ts: t.start()
    pid = os.fork()
    if pid == 0:
        os._exit(len(threading.enumerate()))
    _, st = os.waitpid(pid, 0)
    stop.set()
    for t in ts: t.join()
    print("fork with threads: child saw threads", os.waitstatus_to_exitcode(st))

if __name__ == "__main__":
    part = sys.argv[1]
    if part == "threads": threads()
    elif part == "subprocess": subprocesses()
    elif part == "fork": fork_with_threads()
    else: multiproc(None if part == "mp-default" else part[3:])
