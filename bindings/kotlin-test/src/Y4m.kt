// Reads a y4m video of I420 frames (the test stream) into CameraFrames,
// with timestamps from the frame rate, as a camera would deliver them.
package ai.cardscan.core.test

import ai.cardscan.core.*
import java.io.DataInputStream
import java.io.File

class Y4m(file: File) {
    val width: Int
    val height: Int
    private val nanosPerFrame: Long
    private val input = DataInputStream(file.inputStream().buffered())

    init {
        val header = readLine()
        check(header.startsWith("YUV4MPEG2")) { "not a y4m file" }
        val tags = header.split(' ').drop(1)
        width = tags.first { it.startsWith("W") }.drop(1).toInt()
        height = tags.first { it.startsWith("H") }.drop(1).toInt()
        val (num, den) = (tags.firstOrNull { it.startsWith("F") }?.drop(1) ?: "30:1").split(':').map { it.toLong() }
        nanosPerFrame = 1_000_000_000L * den / num
    }

    private fun readLine(): String {
        val sb = StringBuilder()
        while (true) {
            val b = input.read()
            if (b < 0 || b == '\n'.code) return sb.toString()
            sb.append(b.toChar())
        }
    }

    /** All frames (the test video is short). */
    fun frames(): List<CameraFrame> {
        val cw = (width + 1) / 2
        val ch = (height + 1) / 2
        val out = ArrayList<CameraFrame>()
        while (true) {
            val marker = readLine()
            if (!marker.startsWith("FRAME")) break
            val y = ByteArray(width * height).also { input.readFully(it) }
            val u = ByteArray(cw * ch).also { input.readFully(it) }
            val v = ByteArray(cw * ch).also { input.readFully(it) }
            out += CameraFrame(
                width, height, PixelFormat.I420,
                listOf(FramePlane(y, width, 1), FramePlane(u, cw, 1), FramePlane(v, cw, 1)),
                0, out.size * nanosPerFrame, true,
            )
        }
        return out
    }
}
