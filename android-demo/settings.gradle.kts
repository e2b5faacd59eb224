pluginManagement { repositories { google(); mavenCentral(); gradlePluginPortal() } }
dependencyResolutionManagement { repositories { google(); mavenCentral() } }
rootProject.name = "cardscan-android-demo"
include(":app")
include(":cardscan-core")
project(":cardscan-core").projectDir = file("../bindings/android")
