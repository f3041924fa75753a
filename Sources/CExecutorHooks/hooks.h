/* The Swift concurrency runtime's global-executor hooks (libswift_Concurrency, see its
 * ConcurrencyHooks.def), for FrontwatchSystem.QuietExecutor and nothing else.
 *
 * Each hook holds a Swift-calling-convention function pointer or NULL. They are declared weak:
 * a runtime without them (a future toolchain that renames or drops them) links and runs, and
 * cfw_executor_hooks_available() says so at run time, so the executor falls back to the default
 * one instead of writing through a pointer that is not there. They are declared as plain
 * pointers so Swift can store a `@convention(thin)` function in them, as other custom executors
 * do; QuietExecutor checks the toolchain version whose hook signatures it was written against. */
#ifndef CEXECUTORHOOKS_HOOKS_H
#define CEXECUTORHOOKS_HOOKS_H

extern void *_Nullable swift_task_enqueueGlobal_hook __attribute__((weak));
extern void *_Nullable swift_task_enqueueGlobalWithDelay_hook __attribute__((weak));
extern void *_Nullable swift_task_enqueueGlobalWithDeadline_hook __attribute__((weak));

/* 1 when the running program has all three hooks. */
static inline int cfw_executor_hooks_available(void) {
    return &swift_task_enqueueGlobal_hook != 0 && &swift_task_enqueueGlobalWithDelay_hook != 0
        && &swift_task_enqueueGlobalWithDeadline_hook != 0;
}

/* Sets the three hooks (call only when cfw_executor_hooks_available()). */
static inline void cfw_set_global_executor_hooks(void *_Nonnull enqueue, void *_Nonnull delay,
                                                 void *_Nonnull deadline) {
    swift_task_enqueueGlobalWithDeadline_hook = deadline;
    swift_task_enqueueGlobalWithDelay_hook = delay;
    swift_task_enqueueGlobal_hook = enqueue;
}

#endif
