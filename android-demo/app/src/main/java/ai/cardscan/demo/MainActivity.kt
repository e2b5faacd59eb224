package ai.cardscan.demo

import ai.cardscan.core.*
import android.os.Bundle
import androidx.activity.ComponentActivity
import androidx.activity.compose.setContent
import androidx.camera.core.CameraSelector
import androidx.camera.core.ImageAnalysis
import androidx.camera.core.Preview
import androidx.camera.lifecycle.ProcessCameraProvider
import androidx.camera.view.PreviewView
import androidx.compose.foundation.layout.*
import androidx.compose.material3.*
import androidx.compose.runtime.*
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import androidx.compose.ui.viewinterop.AndroidView
import androidx.core.content.ContextCompat
import androidx.lifecycle.lifecycleScope
import kotlinx.coroutines.launch
import java.util.concurrent.Executors

const val SANDBOX_URL = "http://10.0.2.2:8787"

/** Your backend hands out CardScan session tokens; the API key never ships in the app. */
class BackendTokens : TokenProvider {
    override suspend fun fetchToken(): String =
        java.net.URL("https://backend.example.com/cardscan-token").readText()
}

class MainActivity : ComponentActivity() {
    private val scanner = CardScanner(ScannerConfig(scanBack = false))
    private val client = CardScanClient(ClientConfig(
        environment = Environment.Custom("$SANDBOX_URL/v1", "ws://10.0.2.2:8787/ws"),
        credentials = Credentials.Provider(BackendTokens()),
    ))
    private val analysisThread = Executors.newSingleThreadExecutor()

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        setContent {
            var message by remember { mutableStateOf("Point the camera at your card") }
            var result by remember { mutableStateOf<String?>(null) }
            var shutter by remember { mutableStateOf(false) }
            var uploading by remember { mutableStateOf(false) }
            Box(Modifier.fillMaxSize()) {
                AndroidView(modifier = Modifier.fillMaxSize(), factory = { ctx ->
                    PreviewView(ctx).also { view -> bindCamera(view) { update ->
                        runOnUiThread {
                            message = update.message
                            shutter = update.manualShutterAvailable
                            val card = update.captured
                            if (card != null && !uploading) {
                                uploading = true
                                lifecycleScope.launch {
                                    result = upload(card.jpeg) { message = it }
                                    uploading = false
                                }
                            }
                        }
                    } }
                })
                Column(Modifier.align(Alignment.BottomCenter).padding(16.dp), horizontalAlignment = Alignment.CenterHorizontally) {
                    Text(message)
                    if (shutter) Button(onClick = { scanner.captureNow() }) { Text("Take photo") }
                    result?.let { Text(it, style = MaterialTheme.typography.bodySmall) }
                }
            }
        }
    }

    private suspend fun upload(jpeg: ByteArray, status: (String) -> Unit): String? = try {
        status("Uploading")
        val id = client.uploadCardImage(jpeg, null)
        val card = client.waitForCard(id, 60_000uL)
        card.details.joinToString("\n") { "${it.name}: ${it.value}" }
    } catch (e: CardScanException.CardFailed) {
        scanner.reportUploadRejected()
        status("That didn't work, please scan again")
        null
    } catch (e: CardScanException) {
        status("Error: ${e.message}")
        null
    }

    private fun bindCamera(view: PreviewView, onUpdate: (ScanUpdate) -> Unit) {
        val future = ProcessCameraProvider.getInstance(this)
        future.addListener({
            val provider = future.get()
            val preview = Preview.Builder().build().also { it.setSurfaceProvider(view.surfaceProvider) }
            val analyzer = CardAnalyzer(scanner, onUpdate)
            val analysis = ImageAnalysis.Builder()
                .setBackpressureStrategy(ImageAnalysis.STRATEGY_KEEP_ONLY_LATEST)
                .setOutputImageFormat(ImageAnalysis.OUTPUT_IMAGE_FORMAT_YUV_420_888)
                .build().also { it.setAnalyzer(analysisThread, analyzer) }
            provider.unbindAll()
            val camera = provider.bindToLifecycle(this, CameraSelector.DEFAULT_BACK_CAMERA, preview, analysis)
            analyzer.focalPerWidth = focalPerWidth(camera.cameraInfo)
        }, ContextCompat.getMainExecutor(this))
    }
}
