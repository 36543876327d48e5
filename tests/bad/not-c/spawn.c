def spawn_all(n, task):
    for i in range(n):
        task(i)
