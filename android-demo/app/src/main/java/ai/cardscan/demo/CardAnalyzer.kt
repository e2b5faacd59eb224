package ai.cardscan.demo

import ai.cardscan.core.CameraFrame
import ai.cardscan.core.CardScanException
import ai.cardscan.core.CardScanner
import ai.cardscan.core.FramePlane
import ai.cardscan.core.PixelFormat
import ai.cardscan.core.ScanUpdate
import androidx.camera.core.ImageAnalysis
import androidx.camera.core.ImageProxy

/** CameraX analyzer: every YUV_420_888 frame goes to the scanner as the camera gives it. */
class CardAnalyzer(
    private val scanner: CardScanner,
    private val onUpdate: (ScanUpdate) -> Unit,
) : ImageAnalysis.Analyzer {
    override fun analyze(image: ImageProxy) {
        try {
            val planes = image.planes.map { plane ->
                val bytes = ByteArray(plane.buffer.remaining()).also { plane.buffer.get(it) }
                FramePlane(bytes, plane.rowStride, plane.pixelStride)
            }
            val frame = CameraFrame(
                image.width, image.height, PixelFormat.YUV420, planes,
                image.imageInfo.rotationDegrees, image.imageInfo.timestamp, true,
            )
            onUpdate(scanner.process(frame))
        } catch (e: CardScanException) {
            // A malformed buffer: skip this frame.
        } finally {
            image.close()
        }
    }
}
