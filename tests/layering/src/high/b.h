// A high module that uses the low one, as allowed.
#pragma once
#include "low/a.h"
