#pragma once
// A fixed set of workers that run one parallel loop at a time. Threads are made once, with the
// backend, so a frame never pays for thread creation.

#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace blurcam::cpu {

class ThreadPool {
  public:
    explicit ThreadPool(int threadCount);
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    [[nodiscard]] int size() const { return static_cast<int>(m_workers.size()) + 1; }

    /// Calls task(part) for part in [0, size()) and returns when all are done; the calling
    /// thread runs part 0. The task is passed by reference, never copied into a
    /// std::function, so running a frame allocates nothing. When a part throws, the others still
    /// run to their end; then the first exception (the caller's own before any worker's) is
    /// rethrown here, so the task and what it refers to are never unwound while in use.
    template <typename Task>
    void run(Task& task) {
        runErased(&task, [](void* erased, int part) { (*static_cast<Task*>(erased))(part); });
    }

  private:
    void runErased(void* task, void (*invoke)(void*, int));
    void workerLoop(int part);

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_done;
    void* m_task = nullptr;
    void (*m_invoke)(void*, int) = nullptr;
    unsigned m_generation = 0;
    int m_pending = 0;
    std::exception_ptr m_workerError; ///< the first exception a worker's part threw in this run
    bool m_stopping = false;
    std::vector<std::thread> m_workers; // last: they start after the state above exists
};

} // namespace blurcam::cpu
