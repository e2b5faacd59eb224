// CardScanCore for Android: an AAR with the generated Kotlin (from
// ../kotlin) and libcardscan_ffi.so for arm64-v8a, armeabi-v7a and x86_64
// (src/main/jniLibs, built by `cargo xtask build-android`: cargo-ndk,
// 16 KB page-aligned).
plugins {
    id("com.android.library") version "8.5.2"
    id("org.jetbrains.kotlin.android") version "2.0.21"
}

android {
    namespace = "ai.cardscan.core"
    compileSdk = 35

    defaultConfig {
        minSdk = 24
        consumerProguardFiles("consumer-rules.pro")
        ndk { abiFilters += listOf("arm64-v8a", "armeabi-v7a", "x86_64") }
    }

    sourceSets["main"].apply {
        java.srcDirs("../kotlin")
        jniLibs.srcDirs("src/main/jniLibs")
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
    kotlinOptions { jvmTarget = "17" }

    packaging {
        // Keep the .so files uncompressed and page-aligned in the APK.
        jniLibs.useLegacyPackaging = false
    }
}

dependencies {
    // JNA as an AAR: carries libjnidispatch.so for every Android ABI.
    implementation("net.java.dev.jna:jna:5.14.0@aar")
    implementation("org.jetbrains.kotlinx:kotlinx-coroutines-core:1.8.1")
}
