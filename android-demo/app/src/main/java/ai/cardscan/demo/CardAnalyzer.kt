package ai.cardscan.demo

import ai.cardscan.core.CameraFrame
import ai.cardscan.core.CardScanException
import ai.cardscan.core.CardScanner
import ai.cardscan.core.FramePlane
import ai.cardscan.core.PixelFormat
import ai.cardscan.core.ScanUpdate
import android.hardware.camera2.CameraCharacteristics
import android.os.Build
import androidx.camera.camera2.interop.Camera2CameraInfo
import androidx.camera.camera2.interop.ExperimentalCamera2Interop
import androidx.camera.core.CameraInfo
import androidx.camera.core.ImageAnalysis
import androidx.camera.core.ImageProxy

/**
 * CameraX analyzer: every YUV_420_888 frame goes to the scanner as the camera gives it, with the
 * camera's focal length once it is known (see [focalLengthPx]).
 */
class CardAnalyzer(
    private val scanner: CardScanner,
    private val onUpdate: (ScanUpdate) -> Unit,
) : ImageAnalysis.Analyzer {
    /**
     * The bound camera's focal length in millimetres over the sensor's width in millimetres, set
     * after binding; times a frame's longer side it is the focal length in that frame's pixels.
     */
    @Volatile var focalPerWidth: Float? = null

    override fun analyze(image: ImageProxy) {
        try {
            val planes = image.planes.map { plane ->
                val bytes = ByteArray(plane.buffer.remaining()).also { plane.buffer.get(it) }
                FramePlane(bytes, plane.rowStride, plane.pixelStride)
            }
            // The analysis stream spans the sensor's width (a 16:9 stream crops its height).
            val focal = focalPerWidth?.let { it * maxOf(image.width, image.height) }
            val frame = CameraFrame(
                image.width, image.height, PixelFormat.YUV420, planes,
                image.imageInfo.rotationDegrees, image.imageInfo.timestamp, true, focal,
            )
            onUpdate(scanner.process(frame))
        } catch (e: CardScanException) {
            // A malformed buffer: skip this frame.
        } finally {
            image.close()
        }
    }
}

/**
 * The camera's focal length per sensor width (both in the same unit), from its Camera2
 * characteristics: the calibrated intrinsics where the device reports them (API 28+), else the
 * lens's nominal focal length over the sensor's physical width. `null` when neither is known.
 *
 * Why: with the focal length the scanner places the hidden side of a card that is partly out of
 * frame in perspective instead of guessing it (see the core's README, "focal length").
 */
@OptIn(ExperimentalCamera2Interop::class)
fun focalPerWidth(info: CameraInfo): Float? {
    val camera = Camera2CameraInfo.from(info)
    val active = camera.getCameraCharacteristic(CameraCharacteristics.SENSOR_INFO_ACTIVE_ARRAY_SIZE)
    if (Build.VERSION.SDK_INT >= 28 && active != null && active.width() > 0) {
        val k = camera.getCameraCharacteristic(CameraCharacteristics.LENS_INTRINSIC_CALIBRATION)
        if (k != null && k[0] > 0f) return k[0] / active.width()
    }
    val mm = camera.getCameraCharacteristic(CameraCharacteristics.LENS_INFO_AVAILABLE_FOCAL_LENGTHS)
        ?.firstOrNull() ?: return null
    val sensor = camera.getCameraCharacteristic(CameraCharacteristics.SENSOR_INFO_PHYSICAL_SIZE)
        ?: return null
    return if (mm > 0f && sensor.width > 0f) mm / sensor.width else null
}
