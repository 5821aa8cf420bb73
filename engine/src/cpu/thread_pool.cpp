#include "thread_pool.hpp"

#include <utility>

namespace blurcam::cpu {

ThreadPool::ThreadPool(int threadCount) {
    for (int part = 1; part < threadCount; ++part) {
        m_workers.emplace_back([this, part] { workerLoop(part); });
    }
}

ThreadPool::~ThreadPool() {
    {
        const std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    for (std::thread& worker : m_workers) {
        worker.join();
    }
}

void ThreadPool::runErased(void* task, void (*invoke)(void*, int)) {
    if (m_workers.empty()) {
        invoke(task, 0);
        return;
    }
    {
        const std::lock_guard lock(m_mutex);
        m_task = task;
        m_invoke = invoke;
        m_pending = static_cast<int>(m_workers.size());
        m_workerError = nullptr;
        ++m_generation;
    }
    m_wake.notify_all();
    // The workers are running the caller's task: nothing may unwind past it until they are done.
    std::exception_ptr error;
    try {
        invoke(task, 0);
    } catch (...) {
        error = std::current_exception();
    }
    {
        std::unique_lock lock(m_mutex);
        m_done.wait(lock, [this] { return m_pending == 0; });
        m_task = nullptr;
        if (!error) {
            error = std::exchange(m_workerError, nullptr);
        }
        m_workerError = nullptr;
    }
    if (error) {
        std::rethrow_exception(error);
    }
}

void ThreadPool::workerLoop(int part) {
    unsigned seenGeneration = 0;
    for (;;) {
        void* task = nullptr;
        void (*invoke)(void*, int) = nullptr;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] { return m_stopping || m_generation != seenGeneration; });
            if (m_stopping) {
                return;
            }
            seenGeneration = m_generation;
            task = m_task;
            invoke = m_invoke;
        }
        // An exception must not leave a worker (std::terminate): it goes back to the caller.
        std::exception_ptr error;
        try {
            invoke(task, part);
        } catch (...) {
            error = std::current_exception();
        }
        {
            const std::lock_guard lock(m_mutex);
            if (error && !m_workerError) {
                m_workerError = std::move(error);
            }
            --m_pending;
        }
        m_done.notify_one();
    }
}

} // namespace blurcam::cpu
