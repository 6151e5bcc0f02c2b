#pragma once

#include "sluice/error.h"
