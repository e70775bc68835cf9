#pragma once

#include <QtGlobal>

namespace uw::ui {

/// A model that starts a new request (a new link, a new offer) numbers it; answers of an earlier
/// request, already queued when the new one started, must not pass for its answers.
/// `emitIfCurrent(this, &Model::signal, &m_generation)` is a slot (use the model as its context)
/// that re-emits `signal` only while the request current at connection time is still current.
template <typename Model, typename... Args>
auto emitIfCurrent(Model* model, void (Model::*signal)(Args...), const quint64* current)
{
    return [model, signal, current, generation = *current](Args... args) {
        if (generation == *current)
            (model->*signal)(args...);
    };
}

} // namespace uw::ui
