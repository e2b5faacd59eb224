// A tiny test runner: no JUnit on this machine, and CI reads only the
// closing "N passed, N failed" line, which this prints itself.
package ai.cardscan.core.test

import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout

class Check(message: String) : AssertionError(message)

fun check(condition: Boolean, message: () -> String) {
    if (!condition) throw Check(message())
}

inline fun <reified E : Throwable> expectThrows(block: () -> Unit): E {
    try {
        block()
    } catch (e: Throwable) {
        if (e is E) return e
        throw Check("expected ${E::class.simpleName}, got ${e::class.qualifiedName}: ${e.message}")
    }
    throw Check("expected ${E::class.simpleName}, nothing was thrown")
}

class Scenario(val name: String, val body: suspend () -> Unit)

/** Runs every scenario (each with a 60 s ceiling), prints the summary; the exit code. */
fun runAll(scenarios: List<Scenario>, filter: String): Int {
    var passed = 0
    var failed = 0
    for (s in scenarios.filter { filter.isEmpty() || it.name.contains(filter) }) {
        val started = System.nanoTime()
        try {
            runBlocking { withTimeout(60_000) { s.body() } }
            passed++
            println("PASS ${s.name} (${(System.nanoTime() - started) / 1_000_000} ms)")
        } catch (e: Throwable) {
            failed++
            println("FAIL ${s.name}: ${e::class.simpleName}: ${e.message}")
            e.printStackTrace(System.out)
        }
    }
    println("$passed passed, $failed failed")
    System.out.flush()
    return if (failed == 0 && passed > 0) 0 else 1
}
