#pragma once
// The whole public API of the engine.
#include "blurcam/backend.hpp"
#include "blurcam/devices.hpp"
#include "blurcam/fft_planning.hpp"
#include "blurcam/image.hpp"
#include "blurcam/kernel.hpp"
#include "blurcam/params.hpp"
#include "blurcam/spectrum.hpp"
